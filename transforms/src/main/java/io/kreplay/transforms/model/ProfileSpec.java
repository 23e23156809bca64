package io.kreplay.transforms.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * kperf's replay {@code spec}: how many runners (shards), connections and clients per runner,
 * the response content type and whether HTTP/2 is off. Field names are kperf's.
 */
public final class ProfileSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  @JsonProperty public int runnerCount;
  @JsonProperty public int connsPerRunner;
  @JsonProperty public int clientsPerRunner;
  @JsonProperty public String contentType = "json";
  @JsonProperty public boolean disableHTTP2;

  /** kperf: clientsPerRunner 0 means "same as connsPerRunner". */
  public int effectiveClientsPerRunner() {
    return clientsPerRunner == 0 ? connsPerRunner : clientsPerRunner;
  }
}
