package io.failoverdrill.kafka.testkit;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real programs some tests talk to (Debian's packages: chromium, haproxy, prometheus-blackbox-exporter). Under
 * {@code CI=true} a missing one fails the test ({@code .ci/run} installs them); on a developer's machine without it
 * the test is skipped, saying which package to install.
 */
public final class RealPrograms {
    private RealPrograms() {
    }

    /** The first executable of {@code candidates}; {@code debianPackage} names what to install when none is. */
    public static Path find(String debianPackage, String... candidates) {
        for (String c : List.of(candidates)) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        String what = "no " + debianPackage + " installed (apt-get install " + debianPackage + "); .ci/run installs it";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + what);
        }
        Assumptions.abort(what);
        return null;
    }
}
