/**
 * End-to-end tests of the sample app over a real embedded Tomcat, real WebSocket clients and headless Chromium.
 */
@NullMarked
package dev.fanout.sample;

import org.jspecify.annotations.NullMarked;
