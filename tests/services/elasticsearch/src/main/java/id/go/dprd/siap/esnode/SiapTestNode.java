package id.go.dprd.siap.esnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * A single Elasticsearch node for SIAP's tests, started from the published
 * server jar without the distribution's bootstrap (which refuses to run as
 * root and expects the packaged layout). Plugins (Netty HTTP, SIAP's
 * analysis plugin) are loaded from HOME/plugins like an installed node's.
 *
 * Usage: SiapTestNode HOME HTTP_PORT
 */
public final class SiapTestNode {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        String httpPort = args[1];
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "siap-test")
            .put("node.name", "siap-test-node")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", "19300-19400")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), home.resolve("config"), () -> "siap-test-node");
        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
            Set.of(), PluginsLoader.loadPluginsBundles(home.resolve("plugins")), Map.of(), false);
        Node node = new Node(environment, plugins);
        node.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception ignored) {
                // the process is ending anyway
            }
        }));
        System.out.println("SIAP test node started on 127.0.0.1:" + httpPort);
        Thread.currentThread().join();
    }
}
