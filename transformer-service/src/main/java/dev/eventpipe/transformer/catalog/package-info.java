/** What this transformer supports: /features and the destination definitions the config backend syncs. */
@NullMarked
package dev.eventpipe.transformer.catalog;

import org.jspecify.annotations.NullMarked;
