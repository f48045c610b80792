"""A small EBML reader for tests: splits GetMedia output into its Matroska documents and reads
each one's SimpleTags, cluster timecode and block count (as KVS consumer libraries do)."""

EBML, SEGMENT, CLUSTER, TAGS, TAG, SIMPLE_TAG, TAG_NAME, TAG_STRING, TIMECODE, SIMPLE_BLOCK = (
    0x1A45DFA3, 0x18538067, 0x1F43B675, 0x1254C367, 0x7373, 0x67C8, 0x45A3, 0x4487, 0xE7, 0xA3)
MASTERS = {SEGMENT, CLUSTER, TAGS, TAG, SIMPLE_TAG}


def vint(data, pos, keep_marker):
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1:pos + length]:
        value = value << 8 | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def elements(data, start=0, end=None):
    """(id, payload start, payload end) for each element, descending into masters."""
    pos, end = start, len(data) if end is None else end
    while pos < end:
        ident, id_len, _ = vint(data, pos, True)
        size, size_len, unknown = vint(data, pos + id_len, False)
        body = pos + id_len + size_len
        stop = end if unknown else body + size
        yield ident, body, stop
        pos = body if ident in MASTERS else stop


def documents(data):
    """GetMedia output split at each EBML header, as consumer libraries split it."""
    marker = b"\x1a\x45\xdf\xa3"
    starts = []
    pos = data.find(marker)
    while pos != -1:
        starts.append(pos)
        pos = data.find(marker, pos + 1)
    return [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)])]


def describe(document):
    """Tags (name → value), the cluster timecode and how many blocks the cluster holds."""
    tags, timecode, blocks, name = {}, None, 0, None
    for ident, body, stop in elements(document):
        if ident == TAG_NAME:
            name = document[body:stop].decode()
        elif ident == TAG_STRING:
            tags[name] = document[body:stop].decode()
        elif ident == TIMECODE:
            timecode = int.from_bytes(document[body:stop], "big")
        elif ident == SIMPLE_BLOCK:
            blocks += 1
    return tags, timecode, blocks


def first_complete(buffer):
    """The length of GetMedia's first document in `buffer` once it has fully arrived (its last
    element, the CONTINUATION_TOKEN tag, is complete), else None."""
    name = None
    try:
        for ident, body, stop in elements(buffer):
            if stop > len(buffer) and ident not in MASTERS:
                return None
            if ident == TAG_NAME:
                name = buffer[body:stop].decode()
            elif ident == TAG_STRING and name == "AWS_KINESISVIDEO_CONTINUATION_TOKEN":
                return stop
    except (IndexError, UnicodeDecodeError):
        return None
    return None
