package io.failoverdrill.schemas.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A file read again whenever it changes (by modification time, checked on each {@link #get}) — so a key rotation or
 * retirement reaches a running engine or actuator without a restart. A changed file that does not load keeps the
 * value in use and is reported; a bad file at construction is an error.
 */
public final class WatchedFile<T> implements Supplier<T> {
    private final Path file;
    private final Function<Path, T> load;
    private final BiConsumer<T, T> changed;
    private final Consumer<String> failed;
    private T value;
    private FileTime seen;

    /**
     * @param load    reads the file, throwing {@link IllegalArgumentException} with a message naming the file
     * @param changed told (before, after) when a changed file loaded
     * @param failed  told why a changed file did not load
     */
    public WatchedFile(Path file, Function<Path, T> load, BiConsumer<T, T> changed, Consumer<String> failed) {
        this.file = file;
        this.load = load;
        this.changed = changed;
        this.failed = failed;
        this.seen = modified();
        this.value = load.apply(file);
    }

    /** The key set in {@code file}, reported to {@code say} when it changes. */
    public static WatchedFile<KeySet> keySet(Path file, Consumer<String> say) {
        return new WatchedFile<>(file, KeySet::load, (before, after) -> say.accept("key set " + file + " reloaded: "
                + after.summary()), why -> say.accept("key set " + file + " not reloaded, keeping the previous one: " + why));
    }

    @Override
    public synchronized T get() {
        FileTime now = modified();
        if (now != null && !now.equals(seen)) {
            seen = now;
            try {
                T next = load.apply(file);
                changed.accept(value, next);
                value = next;
            } catch (IllegalArgumentException e) {
                failed.accept(e.getMessage());
            }
        }
        return value;
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
