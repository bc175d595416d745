package io.failoverdrill.engine.core.time;

/**
 * A set of strings with open addressing (linear probing, backward-shift removal): one slot per id in two flat arrays
 * — the id and its hash — instead of a node per id. Probing compares the stored hashes first, so a lookup touches
 * the ids' characters only on a real match. This is the duplicate filter's hot path: one add per event and one
 * remove per forgotten id.
 */
final class IdSet {
    private static final int MIN_CAPACITY = 1024;
    /** Between 1/8 and 1/2 full (a power of two, at least {@link #MIN_CAPACITY} slots). */
    private String[] ids = new String[MIN_CAPACITY];
    private int[] hashes = new int[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int size;

    /** Adds {@code id}; returns false if it was already there. */
    boolean add(String id) {
        int h = spread(id.hashCode());
        int i = h & mask;
        for (String s; (s = ids[i]) != null; i = (i + 1) & mask) {
            if (hashes[i] == h && s.equals(id)) {
                return false;
            }
        }
        ids[i] = id;
        hashes[i] = h;
        if (++size > (mask + 1) / 2) {
            resize(ids.length * 2);
        }
        return true;
    }

    /** Removes {@code id} if present. */
    void remove(String id) {
        int h = spread(id.hashCode());
        int i = h & mask;
        for (String s; (s = ids[i]) != null; i = (i + 1) & mask) {
            if (hashes[i] == h && s.equals(id)) {
                shiftBackInto(i);
                if (--size < (mask + 1) / 8 && ids.length > MIN_CAPACITY) {
                    resize(ids.length / 2); // after a backlog's burst of ids, give the memory back
                }
                return;
            }
        }
    }

    int size() {
        return size;
    }

    /** Empties slot {@code hole}, moving back the entries after it that would otherwise become unreachable. */
    private void shiftBackInto(int hole) {
        for (int j = (hole + 1) & mask; ids[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // the entry at j may move to the hole unless its home lies cyclically in (hole, j]
            boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeAfterHole) {
                ids[hole] = ids[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        ids[hole] = null;
    }

    private void resize(int capacity) {
        String[] oldIds = ids;
        int[] oldHashes = hashes;
        ids = new String[capacity];
        hashes = new int[capacity];
        mask = ids.length - 1;
        for (int k = 0; k < oldIds.length; k++) {
            if (oldIds[k] != null) {
                int i = oldHashes[k] & mask;
                while (ids[i] != null) {
                    i = (i + 1) & mask;
                }
                ids[i] = oldIds[k];
                hashes[i] = oldHashes[k];
            }
        }
    }

    /** Event ids often differ in their last characters only: mix the bits so that neighbours do not cluster. */
    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
