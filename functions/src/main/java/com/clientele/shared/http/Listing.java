package com.clientele.shared.http;

import java.util.List;

/** One page of a list: its rows and the cursor of the next page (null on the last). */
public record Listing<T>(List<T> data, String nextCursor) {
}
