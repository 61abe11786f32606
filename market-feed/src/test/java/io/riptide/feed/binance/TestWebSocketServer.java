package io.riptide.feed.binance;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A minimal RFC 6455 websocket server on 127.0.0.1 for tests: handshake, unmasked text frames out, masked frames in,
 * ping/pong and close. Each accepted connection runs the handler on its own thread.
 */
final class TestWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One client connection. */
    static final class Session {
        private final Socket socket;
        private final OutputStream out;
        private final String path;
        private final CountDownLatch pong = new CountDownLatch(1);
        private volatile boolean open = true;

        Session(Socket socket, String path) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.path = path;
        }

        String path() {
            return path;
        }

        boolean isOpen() {
            return open && !socket.isClosed();
        }

        void sendText(String text) throws IOException {
            send(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        void sendPing(byte[] payload) throws IOException {
            send(0x9, payload);
        }

        boolean awaitPong(long millis) throws InterruptedException {
            return pong.await(millis, TimeUnit.MILLISECONDS);
        }

        void close() {
            open = false;
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        synchronized void send(int opcode, byte[] payload) throws IOException {
            out.write(0x80 | opcode);
            int n = payload.length;
            if (n < 126) {
                out.write(n);
            } else if (n < 65_536) {
                out.write(126);
                out.write(n >>> 8);
                out.write(n & 0xFF);
            } else {
                out.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (((long) n >>> shift) & 0xFF));
                }
            }
            out.write(payload);
            out.flush();
        }

        /** Reads client frames until close: answers pings and close, records pongs. */
        void readLoop(InputStream raw) {
            try (DataInputStream in = new DataInputStream(raw)) {
                while (open) {
                    int b0 = in.read();
                    if (b0 < 0) {
                        break;
                    }
                    int b1 = in.readUnsignedByte();
                    long len = b1 & 0x7F;
                    if (len == 126) {
                        len = in.readUnsignedShort();
                    } else if (len == 127) {
                        len = in.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    int opcode = b0 & 0x0F;
                    if (opcode == 0x9) {
                        send(0xA, payload);
                    } else if (opcode == 0xA) {
                        pong.countDown();
                    } else if (opcode == 0x8) {
                        send(0x8, payload.length >= 2 ? new byte[]{payload[0], payload[1]} : new byte[0]);
                        break;
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            } finally {
                close();
            }
        }
    }

    private final ServerSocket server;
    private final Consumer<Session> handler;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    TestWebSocketServer(Consumer<Session> handler) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "test-ws-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Session> sessions() {
        return sessions;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "test-ws-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = readLine(in);
            String key = null;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            if (key == null || !requestLine.startsWith("GET ")) {
                socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                socket.close();
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Session session = new Session(socket, requestLine.split(" ")[1]);
            sessions.add(session);
            Thread reader = new Thread(() -> session.readLoop(in), "test-ws-read");
            reader.setDaemon(true);
            reader.start();
            handler.accept(session);
        } catch (IOException | NoSuchAlgorithmException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        sessions.forEach(Session::close);
    }
}
