package dev.fanout.benchmarks.jmh;

/**
 * A payload of the shape a price feed sends, padded to a given size.
 *
 * @param symbol the instrument
 * @param price the price
 * @param sentAtNanos a timestamp
 * @param padding filler up to the payload size under test
 */
public record Quote(String symbol, double price, long sentAtNanos, String padding) {

    static Quote ofSize(int bytes) {
        return new Quote("ACME", 187.12, 1_234_567_890L, "x".repeat(Math.max(0, bytes - 64)));
    }
}
