package dev.fanout.sample;

/**
 * One price update, the payload of {@code prices.<SYMBOL>}.
 *
 * @param symbol the symbol
 * @param price the last price
 * @param open the price at the start of the session, to compute the change from
 * @param timestamp when the price was set, in milliseconds since the epoch
 */
public record Quote(String symbol, double price, double open, long timestamp) {
}
