def log = new File(basedir, 'build.log').text
assert log.contains('shard 2/2 of the split run is missing from')
assert log.contains('list every shard job\'s output directory in -Dcnn.resultDirectories')
assert log.contains('cnn:check: all 2 shards present')
assert log.contains('cnn:check: resnext-seed: test accuracy 0.25 (mean of 3 seeds, std 0.01); minimum 0.2: ok')
assert log.contains('BUILD SUCCESS')
return true
