package io.kreplay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/**
 * The sample manifests in samples/nightly parsed into fabric8's typed model (what kubectl would
 * be sent), and checked for what a nightly replay relies on. The Flink operator's kinds are not
 * in fabric8's model: they parse as GenericKubernetesResource and their required fields are
 * checked by path. Nothing here was applied to a cluster.
 */
public class NightlyManifestsTest {
  static final Path NIGHTLY = Paths.get("..", "samples", "nightly").toAbsolutePath().normalize();

  static List<HasMetadata> load(String file) throws Exception {
    // Parsing only: the client is never connected.
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        InputStream in = Files.newInputStream(NIGHTLY.resolve(file))) {
      return client.load(in).items();
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T only(List<HasMetadata> items, Class<T> type) {
    List<HasMetadata> found = items.stream().filter(type::isInstance).collect(Collectors.toList());
    assertEquals(type.getSimpleName() + " in " + items, 1, found.size());
    return (T) found.get(0);
  }

  @Test
  public void cronJobRunsTheNightlyAsItsServiceAccountWithRbacForTheSampleOnly() throws Exception {
    List<HasMetadata> items = load("kreplay-cronjob.yaml");
    ServiceAccount sa = only(items, ServiceAccount.class);
    Role role = only(items, Role.class);
    RoleBinding binding = only(items, RoleBinding.class);
    CronJob cron = only(items, CronJob.class);
    only(items, PersistentVolumeClaim.class);

    // The Role covers what pod-lifecycle.yaml does (kreplay validate: CREATE GET LIST WATCH
    // PATCH APPLY DELETE DELETECOLLECTION on pods in kreplay-demo), and nothing more.
    assertEquals("kreplay-demo", role.getMetadata().getNamespace());
    assertEquals(1, role.getRules().size());
    PolicyRule rule = role.getRules().get(0);
    assertEquals(List.of(""), rule.getApiGroups());
    assertEquals(List.of("pods"), rule.getResources());
    assertEquals(
        new TreeSet<>(Set.of("create", "get", "list", "watch", "patch", "delete", "deletecollection")),
        new TreeSet<>(rule.getVerbs()));
    String sample = Files.readString(NIGHTLY.resolve("../pod-lifecycle.yaml"), StandardCharsets.UTF_8);
    assertThat(sample, containsString("namespace: kreplay-demo"));

    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals("Role", binding.getRoleRef().getKind());
    assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
    assertEquals(sa.getMetadata().getNamespace(), binding.getSubjects().get(0).getNamespace());

    assertEquals("Forbid", cron.getSpec().getConcurrencyPolicy());
    var pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertEquals(0, (int) cron.getSpec().getJobTemplate().getSpec().getBackoffLimit());
    assertEquals(sa.getMetadata().getName(), pod.getServiceAccountName());
    assertEquals(sa.getMetadata().getNamespace(), cron.getMetadata().getNamespace());
    List<String> args = pod.getContainers().get(0).getArgs();
    assertEquals("nightly", args.get(0));
    assertThat(args, hasItem("--inCluster"));
    assertThat(args, hasItem("--reports=/reports"));
    // `kreplay nightly` accepts what the CronJob passes (unknown options would throw).
    NightlyOptions o =
        PipelineOptionsFactory.fromArgs(Kreplay.camelCase(args.subList(1, args.size()).toArray(new String[0])))
            .withValidation().as(NightlyOptions.class);
    assertEquals("/reports", o.getReports());
    assertEquals("10%", o.getMaxP99Increase());
  }

  @Test
  public void flinkOperatorResourcesHaveTheirRequiredFields() throws Exception {
    List<HasMetadata> items = load("flink-deployment.yaml");
    assertEquals(2, items.size());
    GenericKubernetesResource deployment = (GenericKubernetesResource) items.get(0);
    GenericKubernetesResource sessionJob = (GenericKubernetesResource) items.get(1);
    assertEquals("flink.apache.org/v1beta1", deployment.getApiVersion());
    assertEquals("FlinkDeployment", deployment.getKind());
    assertEquals("v1_19", field(deployment, "spec", "flinkVersion"));
    for (String required : new String[] {"image", "serviceAccount"}) {
      assertNotNull(required, field(deployment, "spec", required));
    }
    assertNotNull(field(deployment, "spec", "jobManager", "resource", "memory"));
    assertNotNull(field(deployment, "spec", "taskManager", "resource", "memory"));
    assertEquals("io.kreplay.pipeline.Kreplay", field(deployment, "spec", "job", "entryClass"));
    assertThat((String) field(deployment, "spec", "job", "jarURI"), containsString("kreplay-flink.jar"));
    assertThat((List<String>) field(deployment, "spec", "job", "args"), hasItem("--runner=FlinkRunner"));
    assertEquals("stateless", field(deployment, "spec", "job", "upgradeMode"));

    assertEquals("FlinkSessionJob", sessionJob.getKind());
    assertNotNull(field(sessionJob, "spec", "deploymentName"));
    assertThat((String) field(sessionJob, "spec", "job", "jarURI"), containsString("kreplay-flink.jar"));
    assertThat((List<String>) field(sessionJob, "spec", "job", "args"), hasItem("--runner=FlinkRunner"));
  }

  @Test
  public void dockerfileBuildsTheShadedJarsThePomsMake() throws Exception {
    String dockerfile = Files.readString(NIGHTLY.resolve("Dockerfile"), StandardCharsets.UTF_8);
    String pom = Files.readString(NIGHTLY.resolve("../../pipeline/pom.xml"), StandardCharsets.UTF_8);
    assertThat(dockerfile, containsString("pipeline/target/kreplay-${RUNNER}.jar"));
    for (String runner : new String[] {"flink", "dataflow"}) {
      assertThat(pom, containsString("<id>" + runner + "</id>"));
      assertThat(pom, containsString("${project.build.directory}/kreplay-" + runner + ".jar"));
    }
    for (String line : dockerfile.split("\n")) {
      if (line.startsWith("COPY ") && !line.contains("--from")) {
        Path source = NIGHTLY.resolve("../..").resolve(line.split("\\s+")[1]).normalize();
        assertTrue("Dockerfile copies " + source, Files.exists(source));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T field(GenericKubernetesResource r, String... path) {
    Object at = r.getAdditionalProperties();
    for (String p : path) {
      assertTrue(String.join(".", path) + " in " + r.getMetadata().getName(), at instanceof Map && ((Map<String, Object>) at).containsKey(p));
      at = ((Map<String, Object>) at).get(p);
    }
    return (T) at;
  }
}
