import { it } from 'vitest'
import { setupBrowserSuite } from '../../../../test/harness'
it('debug', async () => {
  const suite = await setupBrowserSuite()
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'late', trigger: { event: 'Go' }, steps: [{ id: 'late', target: '#t', title: 'Late', waitMs: 5000, placement: 'right' }] }] }
  const ctx = await suite.browser.newContext({ reducedMotion: 'no-preference', viewport: { width: 1000, height: 700 } })
  const { page } = await suite.open('/d', suite.hostPage({ body: `<header id="h" style="position:fixed;top:0;left:0;right:0;height:90px;background:#eee;z-index:5">App</header>
       <div style="height:1500px"></div><section id="t" style="width:300px;height:900px;background:#def">A long panel</section><div style="height:3000px"></div>`, script: `${suite.initScript({ flows, debug: true })} linger('on','error', function(e){console.log('ERR', JSON.stringify(e))}); linger.track('Go');` }), ctx)
  page.on('console', (m) => console.log('console', m.text()))
  for (let i = 0; i < 8; i++) {
    await page.waitForTimeout(250)
    console.log(await page.evaluate(() => [scrollY, document.getElementById('t')!.getBoundingClientRect().top, document.elementFromPoint(150, document.getElementById('t')!.getBoundingClientRect().top + 2)?.outerHTML.slice(0, 50)]))
  }
  await suite.close()
})
