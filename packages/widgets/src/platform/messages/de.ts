import type { Catalog } from '../i18n'

// One block per widget, keyed `<kind>.`: append your own block, never reorder others'.
export const messages: Catalog = {
  // ── common (platform) ──
  'common.close': 'Schließen',
  'common.dismiss': 'Ausblenden',
  'common.points.one': '{count} Punkt',
  'common.points.other': '{count} Punkte',

  // ── checklist ──
  'checklist.region': 'Einführungs-Checkliste',
  'checklist.open': '{title}: {done} von {total} Aufgaben erledigt',
  'checklist.progress': '{done}/{total}',
  'checklist.progressLabel': '{done} von {total} Aufgaben erledigt',
  'checklist.close': 'Checkliste schließen',
  'checklist.dismiss': 'Checkliste ausblenden',
  'checklist.resume': 'Checkliste fortsetzen',
  'checklist.done': 'Erledigt',
  'checklist.todo': 'Noch offen',
  'checklist.showMe': 'Zeig es mir',
  'checklist.taskPoints': '+{points}',
  'checklist.completeTitle': 'Alles erledigt!',
  'checklist.completeBody': 'Du hast „{title}“ abgeschlossen.',
  'checklist.reward': 'Belohnung: {points} Punkte',
  'checklist.announceTask': 'Aufgabe erledigt: {title}',
  'checklist.announceDone': 'Checkliste abgeschlossen: {title}',

  // ── badges ──
  'badges.open': 'Abzeichen',
  'badges.title': 'Deine Abzeichen',
  'badges.close': 'Abzeichen schließen',
  'badges.level': 'Stufe: {level}',
  'badges.total': 'Punkte gesamt',
  'badges.nextLevel': 'Noch {points} Punkte bis {level}',
  'badges.earnedOn': 'Erhalten am {date}',
  'badges.locked': 'Gesperrt',
  'badges.progress': '{current}/{target}',
  'badges.progressLabel': '{current} von {target}',
  'badges.earned': 'Abzeichen erhalten',
  'badges.levelReached': 'Neue Stufe erreicht',
  'badges.announceBadge': 'Abzeichen erhalten: {title}',
  'badges.announceLevel': 'Neue Stufe erreicht: {level}',
  'badges.view': 'Abzeichen ansehen',
}
