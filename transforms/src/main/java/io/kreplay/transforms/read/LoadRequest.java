package io.kreplay.transforms.read;

import java.io.Serializable;

/**
 * One weighted entry of a load profile spec's {@code requests}: its {@code shares} and the one
 * request kind it holds, with the kind's fields (kperf's {@code api/types/load_traffic.go}).
 * Unused fields stay at their zero values, as in kperf.
 */
public final class LoadRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  /** kperf's kind keys, in kperf's order. */
  public static final String STALE_LIST = "staleList";
  public static final String QUORUM_LIST = "quorumList";
  public static final String WATCH_LIST = "watchList";
  public static final String STALE_GET = "staleGet";
  public static final String QUORUM_GET = "quorumGet";
  public static final String PUT = "put";
  public static final String PATCH = "patch";
  public static final String GET_POD_LOG = "getPodLog";
  public static final String POST_DEL = "postDel";

  public int shares;
  public String kind;
  public int line;

  public String group = "";
  public String version = "";
  public String resource = "";
  public String namespace = "";
  public String name = "";
  public long limit;
  public String selector = "";
  public String fieldSelector = "";
  public long keySpaceSize;
  public long valueSize;
  public String patchType = "";
  public String body = "";
  public String container = "";
  public Long tailLines;
  public Long limitBytes;
  public double deleteRatio;
}
