package dev.fanout.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample app, under {@code sample.*}.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

    private final Feed feed = new Feed();

    private final Chat chat = new Chat();

    private final Publish publish = new Publish();

    /**
     * The simulated price feed.
     *
     * @return the feed settings
     */
    public Feed getFeed() {
        return this.feed;
    }

    /**
     * The chat room.
     *
     * @return the chat settings
     */
    public Chat getChat() {
        return this.chat;
    }

    /**
     * The publish API.
     *
     * @return the publish settings
     */
    public Publish getPublish() {
        return this.publish;
    }

    /**
     * Settings of the simulated price feed that publishes {@code prices.<SYMBOL>}.
     */
    public static class Feed {

        /**
         * Whether the simulated price feed publishes prices. Tests turn it off to publish deterministically.
         */
        private boolean enabled = true;

        /**
         * The symbols on the market board; each is published on the topic {@code prices.<SYMBOL>}.
         */
        private List<String> symbols = new ArrayList<>(List.of("ACME", "BOLT", "CRUX", "DYNA", "EON", "FIZZ"));

        /**
         * Time between two ticks of the feed; on each tick about half of the symbols get a new price.
         */
        private Duration interval = Duration.ofMillis(250);

        /**
         * Whether the feed is on.
         *
         * @return whether the feed publishes prices
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Turns the feed on or off.
         *
         * @param enabled whether the feed publishes prices
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The symbols.
         *
         * @return the symbols, in board order
         */
        public List<String> getSymbols() {
            return this.symbols;
        }

        /**
         * Sets the symbols.
         *
         * @param symbols the symbols, in board order
         */
        public void setSymbols(List<String> symbols) {
            this.symbols = symbols;
        }

        /**
         * The tick interval.
         *
         * @return the time between two ticks
         */
        public Duration getInterval() {
            return this.interval;
        }

        /**
         * Sets the tick interval.
         *
         * @param interval the time between two ticks
         */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /**
     * Settings of the chat room.
     */
    public static class Chat {

        /**
         * Longest user name accepted, in UTF-16 characters after trimming; longer messages are dropped and counted.
         */
        private int maxUserLength = 32;

        /**
         * Longest message text accepted, in UTF-16 characters after trimming; longer messages are dropped and counted.
         */
        private int maxTextLength = 500;

        /**
         * The longest user name.
         *
         * @return the limit in characters
         */
        public int getMaxUserLength() {
            return this.maxUserLength;
        }

        /**
         * Sets the longest user name.
         *
         * @param maxUserLength the limit in characters
         */
        public void setMaxUserLength(int maxUserLength) {
            this.maxUserLength = maxUserLength;
        }

        /**
         * The longest text.
         *
         * @return the limit in characters
         */
        public int getMaxTextLength() {
            return this.maxTextLength;
        }

        /**
         * Sets the longest text.
         *
         * @param maxTextLength the limit in characters
         */
        public void setMaxTextLength(int maxTextLength) {
            this.maxTextLength = maxTextLength;
        }
    }

    /**
     * Settings of {@code POST /api/publish/{topic}}.
     */
    public static class Publish {

        /**
         * Largest request body accepted; a larger one is answered with 413.
         */
        private DataSize maxBodySize = DataSize.ofKilobytes(64);

        /**
         * Longest topic accepted; match the hub's {@code fanout.max-topic-length}.
         */
        private int maxTopicLength = 256;

        /**
         * The largest body.
         *
         * @return the limit
         */
        public DataSize getMaxBodySize() {
            return this.maxBodySize;
        }

        /**
         * Sets the largest body.
         *
         * @param maxBodySize the limit
         */
        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        /**
         * The longest topic.
         *
         * @return the limit in characters
         */
        public int getMaxTopicLength() {
            return this.maxTopicLength;
        }

        /**
         * Sets the longest topic.
         *
         * @param maxTopicLength the limit in characters
         */
        public void setMaxTopicLength(int maxTopicLength) {
            this.maxTopicLength = maxTopicLength;
        }
    }
}
