package io.failoverdrill.actuators;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.JsonReader;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moves real traffic through HAProxy's runtime API. {@code set_weights} sets each region's server weight in the
 * backend ({@code set server <backend>/<server> weight <w>}, and {@code state drain} at 0, {@code ready} above),
 * then reads {@code show servers state <backend>} back and acks {@code applied} with the observed weights — or
 * {@code rejected} ({@code haproxy}) with HAProxy's own message or the mismatch. With a {@code stick_map},
 * {@code stick} sets its {@code region} entry; with a {@code writer_map}, {@code promote_writer} sets {@code writer}
 * and {@code freeze_writes} / {@code unfreeze_writes} set each region to {@code frozen} / {@code open} — the map
 * entries the HAProxy configuration routes by. Other commands are left to other actuators.
 */
public final class HaproxyActuator implements CommandHandler {
    /**
     * The backend map file: {@code {"backend":"app","servers":{"us-east":"us-east-1",…},"stick_map":PATH?,
     * "writer_map":PATH?}} — which HAProxy server serves each region, and the map files (as HAProxy's configuration
     * names them) that carry stickiness and the write path.
     */
    public record BackendMap(String backend, Map<String, String> servers, String stickMap, String writerMap) {
        public static BackendMap load(Path file) {
            try {
                JsonReader r = JsonReader.of(Codec.parse(Files.readAllBytes(file)), "$");
                for (String f : r.fieldNames()) {
                    if (!Set.of("backend", "servers", "stick_map", "writer_map").contains(f)) {
                        throw new ContractViolation(r.pathOf(f), "is not a backend map field (backend, servers, stick_map, writer_map)");
                    }
                }
                JsonReader s = r.object("servers");
                Map<String, String> servers = new TreeMap<>();
                for (String region : s.fieldNames()) {
                    if (!JsonReader.isRegion(region)) {
                        throw new ContractViolation(s.pathOf(region), "must be a region name");
                    }
                    servers.put(region, s.string(region, 1, 128));
                }
                if (servers.isEmpty()) {
                    throw new ContractViolation("$.servers", "must name at least one region's server");
                }
                return new BackendMap(r.string("backend", 1, 128), servers, r.optionalString("stick_map", 1, 1024),
                        r.optionalString("writer_map", 1, 1024));
            } catch (IOException e) {
                throw new IllegalArgumentException("backend map " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            } catch (ContractViolation v) {
                throw new IllegalArgumentException("backend map " + file + ": " + v.path() + ": " + v.rule());
            }
        }
    }

    private final HaproxyRuntimeApi api;
    private final BackendMap map;

    public HaproxyActuator(HaproxyRuntimeApi api, BackendMap map) {
        this.api = api;
        this.map = map;
    }

    @Override
    public boolean handles(Command command) {
        CommandBody b = command.body();
        return b instanceof CommandBody.SetWeights
                || (b instanceof CommandBody.Stick && map.stickMap() != null)
                || ((b instanceof CommandBody.PromoteWriter || b instanceof CommandBody.FreezeWrites
                || b instanceof CommandBody.UnfreezeWrites) && map.writerMap() != null);
    }

    @Override
    public Object apply(Command command) {
        try {
            CommandBody b = command.body();
            if (b instanceof CommandBody.SetWeights w) {
                return setWeights(w.weights());
            } else if (b instanceof CommandBody.Stick s) {
                setMap(map.stickMap(), "region", s.region());
                return Map.of("stick_map", map.stickMap(), "region", s.region(), "minutes", s.minutes());
            } else if (b instanceof CommandBody.PromoteWriter p) {
                setMap(map.writerMap(), "writer", p.region());
                return Map.of("writer_map", map.writerMap(), "writer", p.region());
            } else if (b instanceof CommandBody.FreezeWrites f) {
                return setEach(f.regions(), "frozen");
            } else if (b instanceof CommandBody.UnfreezeWrites u) {
                return setEach(u.regions(), "open");
            }
            throw new ActuatorException("unsupported", "the HAProxy actuator does not apply " + command.type());
        } catch (IOException e) {
            throw new ActuatorException("unreachable", api + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Object setEach(List<String> regions, String value) throws IOException {
        Map<String, Object> m = new TreeMap<>();
        for (String r : regions) {
            setMap(map.writerMap(), r, value);
            m.put(r, value);
        }
        return Map.of("writer_map", map.writerMap(), "writes", m);
    }

    private Map<String, Object> setWeights(Map<String, Integer> weights) throws IOException {
        for (String region : weights.keySet()) {
            if (!map.servers().containsKey(region)) {
                throw new ActuatorException("unknown_region", "the backend map names no server for " + region);
            }
        }
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            String server = map.backend() + "/" + map.servers().get(e.getKey());
            expectEmpty(api.send("set server " + server + " weight " + e.getValue()));
            expectEmpty(api.send("set server " + server + " state " + (e.getValue() == 0 ? "drain" : "ready")));
        }
        Map<String, Integer> observed = observedWeights();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("backend", map.backend());
        detail.put("observed_weights", observed);
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (!e.getValue().equals(observed.get(e.getKey()))) {
                throw new ActuatorException("haproxy", Map.of("commanded", weights, "observed", observed));
            }
        }
        return detail;
    }

    /** Region → the user weight HAProxy reports for its server ({@code show servers state}). */
    public Map<String, Integer> observedWeights() throws IOException {
        String state = api.send("show servers state " + map.backend());
        Map<String, String> regionOf = new TreeMap<>();
        map.servers().forEach((region, server) -> regionOf.put(server, region));
        Map<String, Integer> out = new TreeMap<>();
        String[] header = null;
        for (String line : state.split("\n")) {
            if (line.startsWith("# ")) {
                header = line.substring(2).trim().split(" ");
                continue;
            }
            String[] cols = line.trim().split(" ");
            if (header == null || cols.length < header.length) {
                continue;
            }
            Map<String, String> row = new TreeMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cols[i]);
            }
            String region = regionOf.get(row.get("srv_name"));
            if (region != null && map.backend().equals(row.get("be_name"))) {
                out.put(region, Integer.parseInt(row.get("srv_uweight")));
            }
        }
        if (out.isEmpty()) {
            throw new ActuatorException("haproxy", "show servers state " + map.backend() + ": " + firstLine(state));
        }
        return out;
    }

    private void setMap(String file, String key, String value) throws IOException {
        String answer = api.send("set map " + file + " " + key + " " + value);
        if (!answer.isEmpty()) { // no such entry yet: add it
            expectEmpty(api.send("add map " + file + " " + key + " " + value));
        }
    }

    private static void expectEmpty(String answer) {
        if (!answer.isEmpty()) {
            throw new ActuatorException("haproxy", firstLine(answer));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
