# The terminal, shared by the plot scripts. The caller sets `term` ("svg" or "png") and may
# set `width` and `height` (pixels; 960 x 600 if not). Sets `ext`, the file extension.

set encoding utf8
if (!exists("width")) { width = 960; height = 600 }
# Primitive and metric names hold underscores: no enhanced-text subscripts.
if (term eq "svg") {
  eval sprintf('set terminal svg size %d,%d dynamic font "Sans,12" background rgb "white" '. \
               'noenhanced', width, height)
  ext = "svg"
} else {
  if (strstrt(GPVAL_TERMINALS, " pngcairo ") > 0) {
    eval sprintf('set terminal pngcairo size %d,%d font "Sans,10" background rgb "white" '. \
                 'noenhanced', width, height)
  } else {
    eval sprintf('set terminal png size %d,%d noenhanced', width, height)
  }
  ext = "png"
}
set termoption noenhanced
