package dev.eventpipe.model.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Answers 413 to a request whose body is larger than {@code maxBytes}. A declared {@code Content-Length} over the
 * limit is refused at once, before any of the body is read. A body without one (chunked) reaches the application
 * through a counting stream: the read that passes the limit fails, nothing past the limit is read, and whatever
 * the application then answers (a parse error, say) is replaced by the 413. Nothing is buffered here. The answer
 * is a problem document that names the limit and the setting that raises it.
 */
public final class RequestBodyLimitFilter implements Filter {
    private final long maxBytes;
    private final String setting;

    /**
     * @param maxBytes the largest body accepted
     * @param setting the property or variable that sets it, named in the refusal
     */
    public RequestBodyLimitFilter(long maxBytes, String setting) {
        if (maxBytes < 1) throw new IllegalArgumentException(setting + " must be at least 1 byte");
        this.maxBytes = maxBytes;
        this.setting = setting;
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        long declared = http.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(answer, declared + " bytes");
            return;
        }
        if (declared >= 0) {
            // the container ends the body at its declared length, which is within the limit
            chain.doFilter(request, response);
            return;
        }
        Counted counted = new Counted(http, maxBytes);
        Muted muted = new Muted(answer, counted);
        try {
            chain.doFilter(counted, muted);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!counted.overflowed) throw e;
        }
        if (counted.overflowed && !answer.isCommitted()) {
            answer.reset();
            refuse(answer, "more than " + maxBytes + " bytes");
        }
    }

    private void refuse(HttpServletResponse response, String size) throws IOException {
        response.setStatus(413);
        response.setContentType("application/problem+json");
        // the client may still be sending: the connection is not kept for the rest of a body nobody reads
        response.setHeader("Connection", "close");
        response.getOutputStream()
                .write(("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\""
                                + "the request body (" + size + ") is larger than this service accepts (" + maxBytes
                                + " bytes, set by " + setting + ")\",\"maxBytes\":" + maxBytes + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Thrown by the counting stream at the first byte past the limit. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long maxBytes) {
            super("the request body is larger than " + maxBytes + " bytes");
        }
    }

    /** The request, its body read through a stream that fails past the limit. */
    private static final class Counted extends HttpServletRequestWrapper {
        private final long maxBytes;
        private long read;
        volatile boolean overflowed;
        private @Nullable ServletInputStream stream;

        Counted(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream != null) return stream;
            ServletInputStream in = super.getInputStream();
            stream = new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) count(1);
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    // never ask for more than one byte past the limit
                    int n = in.read(b, off, (int) Math.min(len, maxBytes - read + 1));
                    if (n > 0) count(n);
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                overflowed = true;
                throw new BodyTooLargeException(maxBytes);
            }
        }
    }

    /** The response, deaf to the application once the body has overflowed (the filter answers 413 instead). */
    private static final class Muted extends HttpServletResponseWrapper {
        private final Counted request;
        private final ServletOutputStream discard = new ServletOutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {}

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}
        };

        Muted(HttpServletResponse response, Counted request) {
            super(response);
            this.request = request;
        }

        private boolean muted() {
            return request.overflowed;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return muted() ? discard : super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return muted() ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            if (!muted()) super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            if (!muted()) super.sendError(sc);
        }

        @Override
        public void setStatus(int sc) {
            if (!muted()) super.setStatus(sc);
        }

        @Override
        public void setHeader(String name, String value) {
            if (!muted()) super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            if (!muted()) super.addHeader(name, value);
        }

        @Override
        public void setContentType(String type) {
            if (!muted()) super.setContentType(type);
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!muted()) super.flushBuffer();
        }

        @Override
        public boolean isCommitted() {
            return !muted() && super.isCommitted();
        }
    }
}
