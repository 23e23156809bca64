package io.kreplay.runners.flink;

import java.io.InputStream;
import java.net.URI;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink 1.19 session cluster for the submission test, run in its own JVM whose class path
 * holds Flink and none of kreplay, Beam or fabric8: a job runs there only with what it staged.
 * Writes {@code host:port} of the REST endpoint to the file named by its second argument once it
 * listens; stops when stdin closes.
 *
 * <p>Flink's {@link MiniCluster} is the JobManager (dispatcher, REST endpoint, blob server) and
 * TaskManagers of a standalone cluster in one process; clients talk to it over REST exactly as
 * to {@code bin/start-cluster.sh}'s.
 */
public final class FlinkClusterMain {
  private FlinkClusterMain() {}

  public static void main(String[] args) throws Exception {
    int slots = Integer.parseInt(args[0]);
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    MiniClusterConfiguration config =
        new MiniClusterConfiguration.Builder()
            .setConfiguration(conf)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(slots)
            .build();
    try (MiniCluster cluster = new MiniCluster(config)) {
      cluster.start();
      URI rest = cluster.getRestAddress().get();
      java.nio.file.Path ready = java.nio.file.Paths.get(args[1]);
      java.nio.file.Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
      java.nio.file.Files.writeString(tmp, rest.getHost() + ":" + rest.getPort());
      java.nio.file.Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      InputStream in = System.in;
      while (in.read() >= 0) {
        // the test holds stdin open for as long as the cluster should live
      }
    }
  }
}
