package io.kreplay.transforms.replay;

import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;

/**
 * One shared start for every shard: request i is due at {@code start + (phaseOffset_i +
 * timestamp_i) / speed}. Times are epoch microseconds of the wall clock, because shards may run
 * in different JVMs and only the wall clock is shared between them.
 */
public final class ReplayClock implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Clock WALL = Clock.systemUTC();

  private final long startEpochMicros;
  private final double speed;
  private final long leadMicros;

  public ReplayClock(long startEpochMicros, double speed, long leadMicros) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0, got " + speed);
    }
    if (leadMicros < 0) {
      throw new IllegalArgumentException("lead must be >= 0, got " + leadMicros);
    }
    this.startEpochMicros = startEpochMicros;
    this.speed = speed;
    this.leadMicros = leadMicros;
  }

  public static long nowEpochMicros() {
    Instant now = WALL.instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** When a request at {@code replayMs} from the replay's start is due, in epoch microseconds. */
  public long dueEpochMicros(long replayMs) {
    return startEpochMicros + Math.round(replayMs * 1000.0 / speed);
  }

  /** How early a request may be handed to the executor. */
  public long leadMicros() {
    return leadMicros;
  }

  public long startEpochMicros() {
    return startEpochMicros;
  }

  public double speed() {
    return speed;
  }
}
