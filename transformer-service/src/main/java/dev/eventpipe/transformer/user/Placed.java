package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.TransformResponseItem;

/** A response item and the position of the input event it belongs to, so answers keep the request's order. */
record Placed(int index, TransformResponseItem item) {}
