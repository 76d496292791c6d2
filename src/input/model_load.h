/* model_load.h: a model file (DESIGN §5, econsim-model(5)) read, checked and compiled into a
 * model (model.h). */
#ifndef MODEL_LOAD_H
#define MODEL_LOAD_H

#include "diag.h"
#include "model.h"

/* Loads, validates and compiles a model file. Returns NULL with the errors in d (every bad
 * slot and equation is reported, not only the first): DIAG_NO_INPUT for a missing file;
 * DIAG_DATA for JSON errors (file:line:col), unknown keys, wrong types, bad or duplicate
 * names, a label that is another slot's label or name, min > max, a value outside [min, max],
 * an equation error (the JSON path of the equation, the column in it and a caret under the
 * spot), or a cycle of same-year dependencies (every variable of the cycle named, in order).
 * Every slot may declare "min" and "max"; variables have no "value". Free with model_free. */
model *model_load(const char *path, diag *d);

#endif
