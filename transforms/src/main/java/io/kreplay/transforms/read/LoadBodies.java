package io.kreplay.transforms.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Bodies of generated objects. kperf's {@code put} is meant for ConfigMaps and Secrets (random
 * bytes as the object's data, {@code valueSize} of them); postDel renders a small object per
 * resource. Ours: ConfigMap, Secret and Pod (pause image) bodies, and for other resources an
 * object with only metadata, its kind guessed from the resource name.
 */
final class LoadBodies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private LoadBodies() {}

  static String put(LoadRequest r, String name, SplittableRandom random) {
    ObjectNode o = object(r, name);
    char[] value = new char[(int) Math.min(r.valueSize, Integer.MAX_VALUE - 16)];
    for (int i = 0; i < value.length; i++) {
      value[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    String data = new String(value);
    if (r.resource.equals("secrets")) {
      o.putObject("data").put("data", Base64.getEncoder().encodeToString(data.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } else {
      o.putObject("data").put("data", data);
    }
    return o.toString();
  }

  static String create(LoadRequest r, String name) {
    ObjectNode o = object(r, name);
    if (r.resource.equals("pods")) {
      ObjectNode container = o.putObject("spec").putArray("containers").addObject();
      container.put("name", "pause");
      container.put("image", "registry.k8s.io/pause:3.9");
    } else if (r.resource.equals("configmaps")) {
      o.putObject("data").put("created-by", "kreplay");
    }
    return o.toString();
  }

  private static ObjectNode object(LoadRequest r, String name) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", r.group.isEmpty() ? r.version : r.group + "/" + r.version);
    o.put("kind", kindOf(r.resource));
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    if (!r.namespace.isEmpty()) {
      meta.put("namespace", r.namespace);
    }
    return o;
  }

  /** "configmaps" → "ConfigMap", "pods" → "Pod", "networkpolicies" → "Networkpolicy". */
  static String kindOf(String resource) {
    switch (resource) {
      case "configmaps":
        return "ConfigMap";
      case "secrets":
        return "Secret";
      case "pods":
        return "Pod";
      default:
        String singular =
            resource.endsWith("ies") ? resource.substring(0, resource.length() - 3) + "y"
                : resource.endsWith("s") ? resource.substring(0, resource.length() - 1) : resource;
        return singular.isEmpty() ? "Object" : Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
    }
  }
}
