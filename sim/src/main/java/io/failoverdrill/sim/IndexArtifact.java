package io.failoverdrill.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The parameters a retrieval index was built from. INDEX_HASH = sha256(model id + tokenizer version + chunk
 * schema + metric + dim + store params + corpus rev), joined with {@code |}, as in WFGY's update-and-index-skew page.
 */
public record IndexArtifact(String modelId, String tokenizerVersion, String chunkSchema, String metric, int dim,
                            String storeParams, String corpusRev, String analyzer, long buildTsMs) {

    public static IndexArtifact standard(long buildTsMs) {
        return new IndexArtifact("all-MiniLM-L6-v2", "bert-base-uncased@1", "doc/section/snippet@v1", "cosine", 384,
                "flat", "corpus-r1", "standard", buildTsMs);
    }

    public String indexHash() {
        String material = String.join("|", modelId, tokenizerVersion, chunkSchema, metric, Integer.toString(dim),
                storeParams, corpusRev);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public IndexArtifact withMetric(String newMetric) {
        return new IndexArtifact(modelId, tokenizerVersion, chunkSchema, newMetric, dim, storeParams, corpusRev,
                analyzer, buildTsMs);
    }
}
