package org.federation.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs a Neo4j community DBMS with only the Bolt connector, bound to loopback, until SIGTERM/SIGINT.
 *
 * Arguments: DATA_DIR PORT. Authentication is off: the process listens on 127.0.0.1 only and exists
 * for local development and tests; production uses the official server (see compose.yaml).
 */
public final class Neo4jEmbedded {
    private Neo4jEmbedded() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Neo4jEmbedded DATA_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(120))
                // A small page cache: the federation fits many times over, and CI machines are shared.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 512L * 1024 * 1024)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));
        // The launcher waits for this line before probing Bolt.
        System.out.println("neo4j-embedded: started on 127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
