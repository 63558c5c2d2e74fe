import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP ceiling of {@code bench/mcp-load.sh}: the Jetty that Timether embeds, on virtual threads as Timether runs
 * it, answering every request with one fixed JSON body after reading the request. No routing, no JSON, no database.
 *
 * <pre>
 *   java -cp target/timether.jar bench/BareJetty.java PORT BODY_FILE
 * </pre>
 *
 * Runs until it is killed.
 */
public final class BareJetty {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PORT BODY_FILE");
        }
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.consumeAll(request, Callback.from(
                        () -> {
                            response.setStatus(200);
                            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                            response.write(true, ByteBuffer.wrap(body), callback);
                        },
                        callback::failed));
                return true;
            }
        });
        server.start();
        System.out.println("bare Jetty listening on 127.0.0.1:" + connector.getLocalPort() + ", body " + body.length
                + " bytes");
        server.join();
    }
}
