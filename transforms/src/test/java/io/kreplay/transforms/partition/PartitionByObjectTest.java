package io.kreplay.transforms.partition;

import static org.junit.Assert.assertEquals;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.ReplayRequestCoder;
import io.kreplay.transforms.model.Verb;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class PartitionByObjectTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static ReplayRequest req(long seq, Verb verb, String ns, String name, String selector) {
    return new ReplayRequest(0, seq, seq * 10, verb, ns, "Pod", name, "/api/v1/namespaces/" + ns + "/pods", "{}", selector);
  }

  @Test
  public void objectKeyFollowsKperf() {
    assertEquals("ns/Pod/web", req(0, Verb.GET, "ns", "web", "").objectKey());
    assertEquals("/Pod/", req(0, Verb.LIST, "", "", "").objectKey());
    assertEquals("ns/Pod/?labelSelector=app=web", req(0, Verb.LIST, "ns", "", "app=web").objectKey());
    assertEquals("ns/Pod/?labelSelector=app=web", req(0, Verb.WATCH, "ns", "", "app=web").objectKey());
    // A named request ignores the selector; a DELETECOLLECTION is not a collection *read*.
    assertEquals("ns/Pod/web", req(0, Verb.LIST, "ns", "web", "app=web").objectKey());
    assertEquals("ns/Pod/", req(0, Verb.DELETECOLLECTION, "ns", "", "app=web").objectKey());
  }

  @Test
  public void everyRequestOfAnObjectLandsOnTheSameShard() {
    List<ReplayRequest> requests = new ArrayList<>();
    List<KV<Integer, ReplayRequest>> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Verb verb = Verb.values()[i % Verb.values().length];
      String name = verb.isCollectionRead() || verb == Verb.DELETECOLLECTION ? "" : "pod-" + (i % 13);
      ReplayRequest r = req(i, verb, "ns-" + (i % 3), name, i % 2 == 0 ? "app=a" + (i % 5) : "");
      requests.add(r);
      // The oracle: kperf's rule computed from the key directly.
      expected.add(KV.of(Partitioner.KPERF.shardOf(r.objectKey(), 5), r));
    }
    PCollection<KV<Integer, ReplayRequest>> sharded =
        pipeline
            .apply(Create.of(requests).withCoder(ReplayRequestCoder.of()))
            .apply(PartitionByObject.of(5, Partitioner.KPERF));
    PAssert.that(sharded).containsInAnyOrder(expected);
    PAssert.that(sharded.apply(GroupByKey.create()))
        .satisfies(
            groups -> {
              java.util.Map<String, Integer> shardOfKey = new java.util.HashMap<>();
              for (KV<Integer, Iterable<ReplayRequest>> g : groups) {
                for (ReplayRequest r : g.getValue()) {
                  Integer prior = shardOfKey.put(r.objectKey(), g.getKey());
                  assertEquals(r.objectKey(), prior == null ? g.getKey() : prior, g.getKey());
                }
              }
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
