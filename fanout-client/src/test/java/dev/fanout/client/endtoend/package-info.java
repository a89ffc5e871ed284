/**
 * The client against a real hub: the starter on Tomcat, over loopback.
 */
@NullMarked
package dev.fanout.client.endtoend;

import org.jspecify.annotations.NullMarked;
