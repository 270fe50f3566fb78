import type { Catalog } from '../platform/i18n'

/**
 * The surveys' English strings travel with the surveys UI chunk (render() adds them to the
 * English catalog, every locale's fallback): a page that never shows a survey does not load
 * them. Translations stay in platform/messages/<lang>.ts.
 */
export const messages: Catalog = {
  'surveys.label': 'Survey',
  'surveys.close': 'Close survey',
  'surveys.send': 'Send',
  'surveys.skip': 'Skip',
  'surveys.option': '{score}, {words}',
  'surveys.nps.low': 'Not at all likely',
  'surveys.nps.high': 'Extremely likely',
  'surveys.csat.1': 'Very dissatisfied',
  'surveys.csat.2': 'Dissatisfied',
  'surveys.csat.3': 'Neutral',
  'surveys.csat.4': 'Satisfied',
  'surveys.csat.5': 'Very satisfied',
  'surveys.ces.1': 'Very difficult',
  'surveys.ces.2': 'Difficult',
  'surveys.ces.3': 'Somewhat difficult',
  'surveys.ces.4': 'Neither easy nor difficult',
  'surveys.ces.5': 'Somewhat easy',
  'surveys.ces.6': 'Easy',
  'surveys.ces.7': 'Very easy',
  'surveys.other': 'Other',
  'surveys.otherLabel': 'Other, please specify',
  'surveys.commentPrompt': 'Anything you would like to add? (optional)',
  'surveys.count': '{count} / {max}',
  'surveys.tooLong': 'Too long: only the first {max} characters will be sent.',
  'surveys.thanks': 'Thank you for your feedback!',
  'surveys.announce': 'Survey: {question}',
}
