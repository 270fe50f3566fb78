/**
 * Every kind's controller, as one chunk. A returning page with a typical document runs five to
 * eight kinds: one file instead of one per kind and one per helper they share (settle, grant-id,
 * notice, the profile reads) is eleven files fewer before ready and about 0.7× the main-thread
 * time to get there (issue 12, seventh round), for ~10 KB more to a vendor whose document uses a
 * single kind. Gzip also packs the kinds together tighter than apart (12.3 against 17.3 KB).
 */
export { createBadges } from './badges'
export { createChecklists } from './checklist'
export { createTours } from './tours'
export { createSurveys } from './surveys'
export { createCancelFlow } from './cancel'
export { createReviews } from './reviews'
export { createAnnouncements } from './announcements'
export { createBilling } from './billing'
