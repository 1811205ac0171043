package org.openprefect.appliance.common;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A response record that writes itself as upstream's schema of the same name. */
public interface WireShape {
    ObjectNode toJson();
}
