def log = new File(basedir, 'build.log').text
assert log.contains('no <rules> configured; judging every architecture by the default rule (maxDrop 0.02, maxRise 0.02, or 3.0 standard errors where the seeds are noisier)')
// 1. Both architectures fall far below the raised baseline.
assert log =~ /(?s)BUILD FAILURE.*resnext-seed: test accuracy 0\.25 \(mean of 3 seeds, std 0\.01\) dropped 0\.74 below baseline 0\.99 \(cnn-baseline\.csv\)/
assert log =~ /mobilenetv3-small: test accuracy 0\.31 \(seed 42\) dropped 0\.68 below baseline 0\.99/
// 2. Against itself it passes.
assert log.contains('cnn:check: resnext-seed: test accuracy 0.25 (mean of 3 seeds, std 0.01); baseline 0.25 (+0), allowed drop max(maxDrop 0.02, 3 x SE 0.0082 = 0.0245) = 0.0245, allowed rise max(maxRise 0.02, 3 x SE 0.0082 = 0.0245) = 0.0245: ok')
// 3. The missing architecture fails and says how to admit it; 4. admitted, it passes with a warning.
assert log.contains('mobilenetv3-small: baseline-without-mobilenet.csv has no row for mobilenetv3-small; a new architecture is admitted only explicitly')
assert log =~ /\[WARNING\] cnn:check: mobilenetv3-small: the baseline comparison is not checked: .* admitted by allowMissingBaseline/
assert log.contains('cnn:check: all rules passed')
return true
