#ifndef BRIDGEJS_JSON_FIELD_H
#define BRIDGEJS_JSON_FIELD_H

#include <stddef.h>

/* The longest field name json_top_level_field looks for. */
#define JSON_FIELD_NAME_MAX 31

enum json_field {
  JSON_FIELD_ABSENT,
  JSON_FIELD_TRUE,
  JSON_FIELD_FALSE,
  JSON_FIELD_NULL,
  JSON_FIELD_OTHER,        /* a number, string, object or array */
  JSON_FIELD_DUPLICATE,    /* the name twice */
  JSON_FIELD_NOT_AN_OBJECT, /* JSON or not, no object at the top */
  JSON_FIELD_INVALID       /* not JSON */
};

/*
 * The field NAME (ASCII, at most JSON_FIELD_NAME_MAX bytes) of the object TEXT holds, compared with each key's
 * escapes decoded: only at the top level, never in a nested value or a string.
 */
enum json_field json_top_level_field(const char *text, size_t size, const char *name);

#endif
