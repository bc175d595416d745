package io.failoverdrill.rag;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions), run in-process from the ONNX model inside
 * langchain4j's jar — no network. Every vector is unit-normalised here, so cosine similarity is a dot product.
 * One shared instance per JVM (the model is ≈ 90 MB); results are cached by text.
 */
public final class Embedder {
    public static final String MODEL_ID = "all-MiniLM-L6-v2";
    public static final int DIM = 384;
    private static volatile Embedder shared;

    private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    private Embedder() {
    }

    /** The JVM's embedder (loaded on first use). */
    public static Embedder shared() {
        Embedder e = shared;
        if (e == null) {
            synchronized (Embedder.class) {
                if (shared == null) {
                    shared = new Embedder();
                }
                e = shared;
            }
        }
        return e;
    }

    /** The unit-normalised embedding of {@code text}. */
    public float[] embed(String text) {
        return cache.computeIfAbsent(text, t -> normalise(model.embed(t).content().vector()));
    }

    /** Embeddings of many texts, in order (batched through the model). */
    public List<float[]> embedAll(List<String> texts) {
        List<String> missing = texts.stream().filter(t -> !cache.containsKey(t)).distinct().toList();
        if (!missing.isEmpty()) {
            var result = model.embedAll(missing.stream().map(TextSegment::from).toList()).content();
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i), normalise(result.get(i).vector()));
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        texts.forEach(t -> out.add(cache.get(t)));
        return out;
    }

    /** Cosine similarity of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }

    /** ΔS = 1 − cos(a, b), in [0, 2]. */
    public static double deltaS(float[] a, float[] b) {
        return Math.min(2.0, Math.max(0.0, 1.0 - cosine(a, b)));
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        double norm = Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
