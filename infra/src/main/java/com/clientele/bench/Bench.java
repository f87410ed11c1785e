package com.clientele.bench;

import java.nio.file.Path;
import java.util.List;

/** What the benchmarks share: their options and where the repository's files are. */
final class Bench {

    private Bench() {
    }

    /** The options, whether Maven passed them as separate arguments or as one (possibly empty) string. */
    static List<String> options(String[] args) {
        String joined = String.join(" ", args).strip();
        return joined.isEmpty() ? List.of() : List.of(joined.split("\\s+"));
    }

    static int intOption(List<String> options, int index, int fallback) {
        return options.size() > index ? Integer.parseInt(options.get(index)) : fallback;
    }

    static Path template() {
        return Path.of(System.getProperty("clientele.template", "template.yaml")).toAbsolutePath();
    }

    /** The deployable jar, as template.yaml's CodeUri names it, under the template's folder. */
    static Path lambdaJar() {
        return template().resolveSibling("functions/target/clientele-functions-lambda.jar").normalize();
    }
}
