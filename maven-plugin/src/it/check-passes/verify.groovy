def log = new File(basedir, 'build.log').text
assert log.contains('cnn:check: resnext-seed: test accuracy 0.25 (mean of 3 seeds, std 0.01); minimum 0.15; baseline 0.245 (+0.005), allowed drop max(maxDrop 0.02, 2 x SE 0.0082 = 0.0163) = 0.02: ok')
assert log.contains('cnn:check: mobilenetv3-small: test accuracy 0.31 (seed 42); baseline 0.3 (+0.01), allowed drop 0.05: ok')
assert log.contains('cnn:check: all rules passed')
assert log.contains('BUILD SUCCESS')
return true
