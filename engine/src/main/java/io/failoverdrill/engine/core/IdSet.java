package io.failoverdrill.engine.core;

/**
 * A set of strings with open addressing (linear probing, backward-shift removal): one slot per id in two flat arrays
 * — the id and its hash — instead of a node per id. Probing compares the stored hashes first, so a lookup touches
 * the ids' characters only on a real match. This is the duplicate filter's hot path: one add per event and one
 * remove per forgotten id.
 */
final class IdSet {
    private String[] ids = new String[1024];
    private int[] hashes = new int[1024];
    private int mask = 1023;
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
            grow();
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
                size--;
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

    private void grow() {
        String[] oldIds = ids;
        int[] oldHashes = hashes;
        ids = new String[oldIds.length * 2];
        hashes = new int[oldIds.length * 2];
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
