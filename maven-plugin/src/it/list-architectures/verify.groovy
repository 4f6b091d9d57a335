def log = new File(basedir, 'build.log').text
// Every registered architecture with its trainable-parameter count; providers with the jar they came from.
assert log =~ /resnext-seed\s+216970\s+40894720/
assert log =~ /resnext\s+200330\s+/
assert log =~ /architecture\s+resnext-seed\s+file:.*cnn-architectures-resnext/
assert log =~ /block\s+resnext-seed-block/
// The per-layer summary of the selected network.
assert log.contains('Model: "resnext-seed"')
assert log.contains('Trainable params: 216,970')
assert log.contains('level2/block4/paths/expand_conv (Conv2D(groups=8))')
return true
