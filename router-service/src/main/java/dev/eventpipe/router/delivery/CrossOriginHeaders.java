package dev.eventpipe.router.delivery;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.protocol.RedirectStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Runs for every hop of a delivery, after the redirect handling: a hop to another origin (scheme, host or port) than
 * the delivery's own URL is sent without credential-like headers ({@code Authorization}, {@code Cookie}, and any
 * name holding auth, key, token, secret, password, session or signature: transformers put destination API keys in
 * headers such as {@code X-Api-Key} or {@code DD-API-KEY}). Browsers and curl drop {@code Authorization} and
 * {@code Cookie} on such a redirect, Go's client too; we also drop the destination-specific key headers, since a
 * redirect must not hand a destination's secret to a host the user did not configure. The origin is that of the
 * exchange's first hop (kept in the exchange's context).
 *
 * <p>HttpClient's own {@link DefaultRedirectStrategy} instead refuses to follow such a redirect at all when the
 * request has an {@code Authorization} or {@code Cookie} header (the 3xx became the answer, and a 307 aborted the
 * job). {@link #REDIRECTS} follows it, and this handler strips the headers.
 */
final class CrossOriginHeaders implements ExecChainHandler {
    static final String NAME = "cross-origin-credentials";
    private static final String ORIGIN = CrossOriginHeaders.class.getName() + ".origin";
    /** HttpClient's redirect rules, but a redirect to another origin is followed: the headers are dropped here. */
    static final RedirectStrategy REDIRECTS = new DefaultRedirectStrategy() {
        @Override
        public boolean isRedirectAllowed(HttpHost from, HttpHost to, HttpRequest redirect, HttpContext context) {
            return true;
        }
    };

    private static final Pattern CREDENTIAL =
            Pattern.compile("(?i).*(auth|key|token|secret|password|passwd|cookie|session|signature).*");

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        HttpHost hop = scope.route.getTargetHost();
        // the first hop of an exchange is the delivery's own URL; every hop shares the exchange's context
        Object first = scope.clientContext.getAttribute(ORIGIN);
        if (first == null) scope.clientContext.setAttribute(ORIGIN, hop);
        else if (first instanceof HttpHost origin && !sameOrigin(origin, hop)) {
            for (Header h : request.getHeaders())
                if (CREDENTIAL.matcher(h.getName()).matches()) request.removeHeader(h);
        }
        return chain.proceed(request, scope);
    }

    static boolean sameOrigin(HttpHost a, HttpHost b) {
        return a.getSchemeName().equalsIgnoreCase(b.getSchemeName())
                && a.getHostName()
                        .toLowerCase(Locale.ROOT)
                        .equals(b.getHostName().toLowerCase(Locale.ROOT))
                && port(a.getSchemeName(), a.getPort()) == port(b.getSchemeName(), b.getPort());
    }

    private static int port(String scheme, int port) {
        if (port >= 0) return port;
        return URIScheme.HTTPS.same(scheme) ? 443 : 80;
    }
}
