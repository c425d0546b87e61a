package dev.eventpipe.model.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * A plain socket that asks the {@link EgressPolicy} about the address it is about to connect to: the address
 * actually dialled, after every name resolution and redirect, so neither DNS rebinding nor a redirect can reach a
 * refused address. An HTTP client that creates its sockets here (TLS is layered on top of this one) is covered
 * for every connection it opens. Refusal throws {@link EgressRefusedException} without sending anything.
 */
public final class EgressSocket extends Socket {
    private final EgressPolicy policy;

    public EgressSocket(EgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress target))
            throw new EgressRefusedException("refused to connect to " + endpoint + ": not an internet address");
        InetAddress address = target.getAddress();
        if (address == null) {
            // an unresolved endpoint: resolve it here, once, and dial exactly the address that was checked
            address = InetAddress.getByName(target.getHostString());
            target = new InetSocketAddress(address, target.getPort());
        }
        var refusal = policy.refusal(address, target.getPort());
        if (refusal.isPresent()) throw new EgressRefusedException(refusal.get());
        super.connect(target, timeout);
    }
}
