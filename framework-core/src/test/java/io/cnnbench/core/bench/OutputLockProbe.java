package io.cnnbench.core.bench;

import java.nio.file.Path;

/** Another process trying the lock: prints "acquired" or "refused". Started by {@code RunLedgerTest}. */
public final class OutputLockProbe {
    private OutputLockProbe() {
    }

    public static void main(String[] args) {
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]), "probe")) {
            System.out.println("acquired");
        } catch (IllegalStateException e) {
            System.out.println("refused");
        }
    }
}
