package com.clientele.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of the template's {@code AWS::SecretsManager::Secret}s here: 32 random bytes each
 * (hex), made the first time a data folder is used and kept in it ({@value #FILE}, readable by its
 * owner only), so cursors, card fingerprints and one-time codes made before a restart still check
 * after it. A cloud without a data folder makes fresh ones on every start. There is no fixed
 * fallback: two folders never share a secret.
 */
final class LocalSecrets {

    static final String FILE = "secrets.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalSecrets() {
    }

    /** A value for each of {@code names}: those kept in {@code dataDir} as they are, new ones made (and kept). */
    static Map<String, String> load(Path dataDir, Iterable<String> names) {
        Path file = dataDir == null ? null : dataDir.resolve(FILE);
        var values = new TreeMap<String, String>(file != null && Files.exists(file) ? read(file) : Map.of());
        boolean added = false;
        for (String name : names) {
            if (!values.containsKey(name)) {
                values.put(name, fresh());
                added = true;
            }
        }
        if (file != null && added) {
            write(file, values);
        }
        return Map.copyOf(values);
    }

    private static String fresh() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Map<String, String> read(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local secrets in " + file, e);
        }
    }

    /** Written to a file that is its owner's alone from the start (then moved over the old one). */
    private static void write(Path file, Map<String, String> values) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE + ".new");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(temporary);
            } catch (FileAlreadyExistsException e) {
                throw new UncheckedIOException(e);
            }
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(values));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local secrets in " + file, e);
        }
    }
}
