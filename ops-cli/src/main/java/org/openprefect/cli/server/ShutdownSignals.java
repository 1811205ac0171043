package org.openprefect.cli.server;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * Waits for Ctrl+C (SIGINT) or SIGTERM and then stops the server in order. Handling the signals
 * ourselves, rather than in a shutdown hook, lets the process exit 0 like upstream's server does.
 */
final class ShutdownSignals {
    private ShutdownSignals() {
    }

    static void awaitTermination(Runnable stop) throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), s -> signalled.countDown());
        Signal.handle(new Signal("TERM"), s -> signalled.countDown());
        signalled.await();
        stop.run();
    }
}
