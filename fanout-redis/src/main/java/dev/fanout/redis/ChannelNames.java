package dev.fanout.redis;

import org.jspecify.annotations.Nullable;

/**
 * Maps topics to Redis channels and back: topic {@code t} is channel {@code <prefix>.t.<t>}. The {@code .t.} part
 * leaves room for other kinds of channels under the same prefix (a later history issue adds streams). Thread-safe.
 */
final class ChannelNames {

    private final String channelPrefix;

    ChannelNames(String prefix) {
        this.channelPrefix = prefix + ".t.";
    }

    String channelOf(String topic) {
        return this.channelPrefix.concat(topic);
    }

    /** The topic of one of our channels, or {@code null} for any other channel. */
    @Nullable String topicOf(String channel) {
        if (channel.length() <= this.channelPrefix.length() || !channel.startsWith(this.channelPrefix)) {
            return null;
        }
        return channel.substring(this.channelPrefix.length());
    }
}
