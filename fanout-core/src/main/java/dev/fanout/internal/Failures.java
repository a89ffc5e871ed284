package dev.fanout.internal;

/**
 * Which failures of user code (listeners, callbacks) the hub survives: all of them, errors such as a failed assertion
 * included, except a {@link VirtualMachineError}, after which the JVM cannot be trusted to carry on.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Rethrows the failure if the hub must not survive it.
     */
    static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }
}
