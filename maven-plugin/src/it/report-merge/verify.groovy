import java.util.concurrent.TimeUnit

def out = new File(basedir, 'target/cnn')
def report = new File(out, 'report.html')
assert report.isFile() : "no ${report}"
def html = report.text
// Without a message, a failed assert would print the whole 1 MB page.
def has = { String text -> assert html.contains(text) : "report.html lacks: ${text}" }
// One report holding both matrix jobs' architectures, each with its own section and charts.
has '<a href="#arch-0">resnext-seed</a>'
has '<a href="#arch-1">mobilenetv3-small</a>'
has 'id="chart-arch-0-accuracy"'
has 'id="chart-arch-1-accuracy"'
has 'Accuracy: train vs validation (2 seeds)'
has '<td>0.5860 ± 0.0339</td>'
// Both jobs' environments, and the change against the baseline, coloured.
has 'CI runner A'
has 'CI runner B'
has '<td class="delta-up">+0.0360</td>'
has '<td class="delta-down">−0.0300</td>'
has 'Gate: <span class="gate-failed">failed</span>'
// Nothing is fetched from the network when the page opens.
def markup = html.replaceAll('(?s)(<script[^>]*>).*?</script>', '$1</script>')
assert !(markup =~ /(?i)<(script|link|img)[^>]+(src|href)\s*=/) : 'report.html loads an external resource'


// summary.csv of the merged results sits next to the report.
def summary = new File(out, 'summary.csv').readLines()
assert summary[0].startsWith('architecture,runs,ok_runs,seeds,')
assert summary[1].startsWith('resnext-seed,2,2,42 43,')
assert summary[2].startsWith('mobilenetv3-small,1,1,42,')

// The second report judged only resnext-seed, as cnn:check -Dcnn.architectures=resnext-seed would.
def selected = new File(out, 'report-resnext-seed.html').text
assert selected.contains('Gate: <span class="gate-passed">passed</span>') : 'the selected report did not pass'
assert html.contains('mobilenetv3-small: test accuracy 0.52 (seed 42) dropped 0.03 below baseline 0.55') : 'the full report does not name mobilenetv3-small\'s drop'
assert !selected.contains(' dropped ') : 'the selected report judged mobilenetv3-small'

def log = new File(basedir, 'build.log').text
assert log.contains('cnn:report: merging 2 result directories')
assert log.contains('BUILD SUCCESS')

// When Chromium is installed (CI installs it), open the report headless and check its charts drew.
def chromium = new File('/usr/bin/chromium')
if (!chromium.canExecute()) {
    println 'report-merge: /usr/bin/chromium missing (apt-get install chromium); headless check skipped'
    return true
}
def profile = File.createTempDir()
def command = [chromium.path, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
               '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
               '--proxy-server=http://127.0.0.1:9', '--user-data-dir=' + profile, '--window-size=1400,3000',
               '--virtual-time-budget=15000', '--dump-dom', report.toURI().toString()]
def process = new ProcessBuilder(command).redirectError(new File(basedir, 'chromium.log')).start()
def dom = new StringBuilder()
def reader = Thread.start { dom.append(process.inputStream.getText('UTF-8')) }
assert process.waitFor(180, TimeUnit.SECONDS) : 'chromium did not finish in 180 s'
reader.join()
profile.deleteDir()
def status = (dom =~ /<div id="cnn-render-status"([^>]*)>/)
assert status.find() : "no render status in the dumped DOM; see chromium.log"
def attrs = status.group(1)
assert attrs.contains('data-state="done"') : attrs
assert attrs.contains('data-errors="0"') : dom.toString().find(/<div id="cnn-render-status".*?<\/div>/)
def expected = (attrs =~ /data-expected="(\d+)"/)[0][1]
assert attrs.contains("data-charts=\"${expected}\"") : attrs
assert expected as int == 2 * 5 + 2
return true
