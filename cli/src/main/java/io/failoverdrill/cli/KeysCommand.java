package io.failoverdrill.cli;

import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code drill keys gen|rotate|retire|list}: the Ed25519 keys that sign commands (docs/security.md). Private keys
 * are written owner-only and never printed; key sets hold public keys only and go to every actuator.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make, rotate and retire command-signing keys.",
        subcommands = {KeysCommand.Gen.class, KeysCommand.Rotate.class, KeysCommand.Retire.class, KeysCommand.ListKeys.class})
final class KeysCommand {

    static KeySet loadOrEmpty(Path keyset) {
        return Files.exists(keyset) ? KeySet.load(keyset) : new KeySet(List.of());
    }

    static KeySet.Entry active(SigningKey k) {
        return new KeySet.Entry(k.kid(), k.publicKey(), "active", Long.MAX_VALUE);
    }

    @Command(name = "gen", mixinStandardHelpOptions = true,
            description = "Make a signing key (owner-only file) and add its public key, active, to a key set.")
    static final class Gen implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "the private key file to write (must not exist)")
        Path out;

        @Option(names = "--keyset", paramLabel = "FILE", description = "key set to add the public key to (created if missing)")
        Path keyset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists: refusing to overwrite a key (use 'drill keys rotate')");
            }
            SigningKey k = SigningKey.generate();
            if (keyset != null) {
                loadOrEmpty(keyset).with(active(k)).save(keyset);
            }
            k.save(out);
            spec.commandLine().getOut().println("key      " + k.kid() + " written to " + out + " (mode 600)"
                    + (keyset == null ? "" : "; active in " + keyset));
            return DrillCli.OK;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Replace the engine's key: the new public key joins the key set (both accepted), then the key "
                    + "file is replaced; retire the old key once every command it signed is applied.")
    static final class Rotate implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "the engine's key file (replaced)")
        Path key;

        @Option(names = "--keyset", required = true, paramLabel = "FILE", description = "the actuators' key set")
        Path keyset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            SigningKey old = SigningKey.load(key);
            SigningKey next = SigningKey.generate();
            // the key set first: an actuator must know the new key before the engine signs with it
            KeySet.load(keyset).with(active(next)).save(keyset);
            next.save(key);
            spec.commandLine().getOut().println("key      " + key + " now " + next.kid() + "; " + keyset + ": "
                    + KeySet.load(keyset).summary() + " — retire " + old.kid()
                    + " with 'drill keys retire --kid " + old.kid() + " --keyset " + keyset + "'");
            return DrillCli.OK;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = "Mark a key retired in a key set: commands it signs are rejected (retired_key).")
    static final class Retire implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--kid", required = true, description = "the key id")
        String kid;

        @Option(names = "--keyset", required = true, paramLabel = "FILE", description = "the key set")
        Path keyset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            KeySet set = KeySet.load(keyset);
            KeySet.Entry e = set.get(kid);
            if (e == null) {
                throw new IllegalArgumentException("key " + kid + " is not in " + keyset + " (" + set.summary() + ")");
            }
            KeySet after = set.with(new KeySet.Entry(e.kid(), e.publicKey(), "retired", e.expiresMs()));
            if (after.entries().stream().noneMatch(x -> x.state().equals("active"))) {
                throw new IllegalArgumentException("retiring " + kid + " would leave " + keyset + " without an active key");
            }
            after.save(keyset);
            spec.commandLine().getOut().println("key      " + kid + " retired in " + keyset + ": " + after.summary());
            return DrillCli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a key set's keys and their state.")
    static final class ListKeys implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--keyset", required = true, paramLabel = "FILE", description = "the key set")
        Path keyset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            for (KeySet.Entry e : KeySet.load(keyset).entries()) {
                spec.commandLine().getOut().println(e.kid() + "  " + e.state() + (e.expiresMs() == Long.MAX_VALUE ? ""
                        : "  expires " + io.failoverdrill.schemas.Timestamps.format(e.expiresMs())));
            }
            return DrillCli.OK;
        }
    }
}
