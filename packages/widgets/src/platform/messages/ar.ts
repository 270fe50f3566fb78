import type { Catalog } from '../i18n'

// One block per widget, keyed `<kind>.`: append your own block, never reorder others'.
export const messages: Catalog = {
  // ── common (platform) ──
  'common.close': 'إغلاق',
  'common.dismiss': 'تجاهل',
  'common.points.zero': '{count} نقطة',
  'common.points.one': 'نقطة واحدة',
  'common.points.two': 'نقطتان',
  'common.points.few': '{count} نقاط',
  'common.points.many': '{count} نقطة',
  'common.points.other': '{count} نقطة',

  // ── checklist ──
  'checklist.region': 'قائمة خطوات البدء',
  'checklist.open': '{title}: أُنجزت {done} من {total} مهام',
  'checklist.progress': '{done}/{total}',
  'checklist.progressLabel': 'أُنجزت {done} من {total} مهام',
  'checklist.close': 'إغلاق القائمة',
  'checklist.dismiss': 'إخفاء القائمة',
  'checklist.resume': 'متابعة القائمة',
  'checklist.done': 'تمّ',
  'checklist.todo': 'لم تُنجز بعد',
  'checklist.showMe': 'أرني',
  'checklist.taskPoints': '+{points}',
  'checklist.completeTitle': 'أحسنت! اكتملت جميع المهام',
  'checklist.completeBody': 'لقد أنهيت «{title}».',
  'checklist.reward': 'المكافأة: {points} نقطة',
  'checklist.announceTask': 'اكتملت المهمة: {title}',
  'checklist.announceDone': 'اكتملت القائمة: {title}',

  // ── badges ──
  'badges.open': 'الشارات',
  'badges.title': 'شاراتك',
  'badges.close': 'إغلاق الشارات',
  'badges.level': 'المستوى: {level}',
  'badges.total': 'مجموع النقاط',
  'badges.nextLevel': 'تبقّى {points} نقطة للوصول إلى {level}',
  'badges.earnedOn': 'حصلت عليها في {date}',
  'badges.locked': 'مقفلة',
  'badges.progress': '{current}/{target}',
  'badges.progressLabel': '{current} من {target}',
  'badges.earned': 'حصلت على شارة',
  'badges.levelReached': 'وصلت إلى مستوى جديد',
  'badges.announceBadge': 'حصلت على شارة: {title}',
  'badges.announceLevel': 'وصلت إلى المستوى: {level}',
  'badges.view': 'عرض الشارات',
}
