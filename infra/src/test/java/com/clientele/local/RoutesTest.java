package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.TestCloud;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route selection as API Gateway does it: the most specific route, whatever the declaration order. */
class RoutesTest {

    private static Template.Route route(String method, String path) {
        return new Template.Route(method, path, path.equals("$default") ? "Unrouted" : method + path, List.of());
    }

    private static String selected(Routes routes, String method, String path) {
        return routes.select(method, path).map(s -> s.route().key()).orElse(null);
    }

    @Test
    void aStaticSegmentWinsOverAPathVariableInEitherOrder() {
        var id = route("GET", "/customers/{id}");
        var top = route("GET", "/customers/top");
        for (var declared : List.of(List.of(id, top), List.of(top, id))) {
            var routes = new Routes(declared);
            assertThat(selected(routes, "GET", "/customers/top")).isEqualTo("GET /customers/top");
            assertThat(selected(routes, "GET", "/customers/cus_1")).isEqualTo("GET /customers/{id}");
            assertThat(routes.select("GET", "/customers/cus_1").orElseThrow().parameters()).isEqualTo(Map.of("id", "cus_1"));
        }
    }

    @Test
    void variablesBeatGreedyVariablesAndNamedMethodsBeatAny() {
        var routes = new Routes(List.of(route("ANY", "/a/{proxy+}"), route("GET", "/a/{x}/c"), route("GET", "/a/b/{y}"),
                route("ANY", "/a/b/c"), route("GET", "/a/b/c"), route("ANY", "$default")));
        assertThat(selected(routes, "GET", "/a/b/c")).isEqualTo("GET /a/b/c");
        assertThat(selected(routes, "POST", "/a/b/c")).isEqualTo("ANY /a/b/c");
        assertThat(selected(routes, "GET", "/a/b/d")).isEqualTo("GET /a/b/{y}");
        assertThat(selected(routes, "GET", "/a/z/c")).isEqualTo("GET /a/{x}/c");
        assertThat(selected(routes, "GET", "/a/z/c/d")).isEqualTo("ANY /a/{proxy+}");
        assertThat(selected(routes, "GET", "/elsewhere")).isEqualTo("$default");
    }

    @Test
    void theTemplatesTopCustomersRouteIsNotTakenForACustomerId() {
        var routes = new Routes(Template.load(TestCloud.template()).routes());
        assertThat(selected(routes, "GET", "/customers/top")).isEqualTo("GET /customers/top");
        assertThat(selected(routes, "PATCH", "/customers/top")).isEqualTo("PATCH /customers/{id}");
        assertThat(selected(routes, "GET", "/settings/segments")).isEqualTo("GET /settings/segments");
    }
}
