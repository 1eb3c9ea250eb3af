// Word lists for the inbox data set (bench/seed-inbox.ts): spa, salon and booking language, so
// full-text search ranks real sentences. Placeholders: {service} {day} {time} {staff} {first}.

export const FIRST_NAMES = [
  'Olivia', 'Emma', 'Ava', 'Sophia', 'Isabella', 'Mia', 'Amelia', 'Harper', 'Evelyn', 'Abigail', 'Emily', 'Ella', 'Elizabeth', 'Camila', 'Luna',
  'Sofia', 'Avery', 'Mila', 'Aria', 'Scarlett', 'Penelope', 'Layla', 'Chloe', 'Victoria', 'Madison', 'Eleanor', 'Grace', 'Nora', 'Riley', 'Zoey',
  'Hannah', 'Hazel', 'Lily', 'Ellie', 'Violet', 'Lillian', 'Zoe', 'Stella', 'Aurora', 'Natalie', 'Emilia', 'Everly', 'Leah', 'Aubrey', 'Willow',
  'Addison', 'Lucy', 'Audrey', 'Bella', 'Nova', 'Brooklyn', 'Paisley', 'Savannah', 'Claire', 'Skylar', 'Isla', 'Genesis', 'Naomi', 'Elena', 'Caroline',
  'Liam', 'Noah', 'Oliver', 'Elijah', 'James', 'William', 'Benjamin', 'Lucas', 'Henry', 'Theodore', 'Jack', 'Levi', 'Alexander', 'Jackson', 'Mateo',
  'Daniel', 'Michael', 'Mason', 'Sebastian', 'Ethan', 'Logan', 'Owen', 'Samuel', 'Jacob', 'Asher', 'Aiden', 'John', 'Joseph', 'Wyatt', 'David',
  'Priya', 'Aisha', 'Mei', 'Yuki', 'Fatima', 'Ingrid', 'Chiara', 'Lucia', 'Anika', 'Noor', 'Sakura', 'Leila', 'Imani', 'Rosa', 'Maren',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson',
  'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis',
  'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard',
  'Kim', 'Patel', 'Chen', 'Tanaka', 'Okafor', 'Novak', 'Rossi', 'Schmidt', 'Larsen', 'Dubois', 'Haddad', 'Silva', 'Kowalski', 'Yamamoto', 'Singh',
];

export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'icloud.com', 'outlook.com', 'hotmail.com', 'aol.com', 'protonmail.com', 'me.com'];
export const AREA_CODES = ['415', '212', '310', '646', '917', '305', '512', '206', '617', '312', '702', '404'];
export const CLIENT_TYPES: [string, number][] = [['member', 0.45], ['guest', 0.35], ['prospect', 0.12], ['vip', 0.08]];
export const CLIENT_GROUPS = ['vip', 'membership', 'newsletter', 'bridal', 'lapsed', 'referral', 'corporate', 'pilates', 'facial-club', 'new'];

export const STAFF_NAMES: [string, string, string][] = [
  ['Maya', 'Lopez', 'manager'], ['Jonas', 'Berg', 'stylist'], ['Aiko', 'Tanaka', 'front-desk'], ['Rafael', 'Costa', 'massage therapist'],
  ['Chloe', 'Dupont', 'esthetician'], ['Nadia', 'Petrova', 'nail technician'], ['Marcus', 'Reid', 'massage therapist'], ['Sienna', 'Brooks', 'stylist'],
  ['Tomas', 'Herrera', 'colorist'], ['Freya', 'Lind', 'esthetician'], ['Kai', 'Nakamura', 'front-desk'], ['Zara', 'Ahmed', 'lash artist'],
];

export const LOCATION_NAMES = ['Downtown Spa', 'Uptown Studio', 'Harbor Wellness', 'Westside Salon', 'Garden Day Spa'];

export const SERVICES = [
  'deep tissue massage', 'Swedish massage', 'hot stone massage', 'couples massage', 'prenatal massage', 'sports massage', 'aromatherapy massage',
  'hydrafacial', 'signature facial', 'chemical peel', 'microdermabrasion', 'dermaplaning', 'LED light therapy', 'gel manicure', 'spa pedicure',
  'balayage', 'root touch-up', 'haircut and blow-dry', 'keratin treatment', 'scalp treatment', 'brow lamination', 'lash lift', 'eyelash extensions',
  'bikini wax', 'body scrub', 'reflexology session', 'infrared sauna session', 'cupping therapy', 'bridal makeup trial', 'reformer pilates class',
];

export const DAYS = [
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'tomorrow', 'this weekend', 'next Tuesday', 'next Friday',
  'the 14th', 'the 22nd', 'March 3rd', 'June 18th', 'October 9th',
];

export const TIMES = ['9am', '9:30', '10:30', 'noon', '1pm', '2:15', '3pm', '4:45', 'after 5', '6pm', 'in the morning', 'late afternoon', 'around lunch'];

export const INBOUND_SMS = [
  'Hi, do you have any openings {day} for a {service}?',
  'Can I book a {service} with {staff} {day} at {time}?',
  'Hi! Can I move my {service} to {day} at {time}?',
  'I need to cancel my appointment {day}, so sorry.',
  'Running about 10 minutes late, still ok?',
  'Is {staff} available {day} {time}? I would love another {service}.',
  'How much is the {service}? Is there a package price?',
  'Do you sell gift cards? I want to get my mom a {service}.',
  'Thank you so much, {staff} was amazing today!',
  'Can I reschedule to {day}? Something came up at work.',
  'Is parking available near the spa?',
  'I have a nut allergy, do the oils for the {service} contain almond oil?',
  'Do I need to arrive early for my {service}?',
  'Confirming my appointment {day} at {time}. See you then!',
  'Could you add a {service} after my appointment {day}?',
  'My skin is still a bit red after the {service}, is that normal?',
  'Do you take walk-ins {day}?',
  'Can I use my membership credit for a {service}?',
  'What is your cancellation policy?',
  'Is the {day} {time} slot still open for two people?',
  'Hey, I left my scarf in the treatment room, could you keep it for me?',
  'Please stop sending promotions, thanks.',
  'Can I pay the deposit by card over the phone?',
  'Yes please book me in!',
  'Sorry I missed your call, what did you need?',
  'Do you have anything earlier than {time} {day}?',
  'I would like to buy the {service} package of five sessions.',
  'Is the refund for my canceled {service} processed yet?',
];

export const INBOUND_EXTRA = [
  'Thanks!', 'Thank you!', 'Let me know.', 'Any time works for me.', 'Ideally with {staff}.', 'I am flexible after {time}.',
  'It is for my birthday.', 'I can also do {day}.', 'Sorry for the short notice.', 'Appreciate it!',
];

export const OUTBOUND_SMS = [
  'Hi {first}, you are booked for a {service} with {staff} {day} at {time}.',
  'Reminder: your {service} is {day} at {time}. Reply C to confirm or R to reschedule.',
  'Hi {first}, we have an opening {day} at {time} for a {service}. Want it?',
  'Your appointment has been moved to {day} at {time}. See you then!',
  'Your appointment {day} is canceled. We hope to see you soon.',
  'Thanks for visiting today, {first}! We would love a review.',
  'Hi {first}, your gift card is ready for pickup at the front desk.',
  'Yes, we have free parking behind the building.',
  'The {service} is $120 for 60 minutes, or $540 for a package of five.',
  'No problem {first}, we will hold your appointment for 15 minutes.',
  'Our oils are nut-free; {staff} can also use an unscented lotion for your {service}.',
  'Please arrive 10 minutes early to fill in the intake form.',
  'Some redness for 24 hours after a {service} is normal. Use the aftercare balm.',
  'We found your scarf, it is at the front desk.',
  'Our cancellation policy is 24 hours notice, otherwise a 50% fee applies.',
  'Your refund was processed and should show in 3 to 5 business days.',
  'Spring special: 20% off any {service} booked before {day}.',
  'Hi {first}, we missed you! Book a {service} this month and get a free upgrade.',
  'You are on the waitlist for {day}; we will text you if a {time} slot opens.',
  'Your membership credit has been applied to the {service}.',
  'Happy birthday {first}! Enjoy a complimentary {service} upgrade this month.',
  'You are unsubscribed from promotions. You will still get appointment reminders.',
];

export const NOTES = [
  'Client prefers {staff} for the {service}; firm pressure.',
  '@{staffHandle} please call back about the refund.',
  'Allergic to almond oil, use the unscented lotion.',
  'Left a voicemail, will try again {day}.',
  'VIP: comp the {service} upgrade, approved by Maya.',
  'Deposit paid by card, receipt emailed.',
  'No-show last time, ask for a card on file before booking.',
  '@{staffHandle} can you take this one? I am out {day}.',
  'Asked about the bridal package for June, sent pricing.',
  'Sensitive skin, patch test before any peel.',
];

export const EMAIL_SUBJECTS_OUT = [
  'Your appointment is confirmed', 'Reminder: your {service} {day}', 'Your receipt from Serenity Spa', 'Your gift card',
  'We miss you, {first}', 'Spring offers at the spa', 'Your membership renewal', 'Aftercare for your {service}', 'Booking changed to {day}',
];

export const EMAIL_BODY_OUT = [
  'Thank you for booking a {service} with {staff}.', 'We look forward to seeing you {day} at {time}.',
  'Please arrive ten minutes early so we can start on time.', 'Your receipt is attached; the total includes gratuity.',
  'Members save 15% on every {service} and get priority booking.', 'To reschedule, reply to this email or call the front desk.',
  'Drink plenty of water after your massage and avoid the sauna for a few hours.', 'Our cancellation policy requires 24 hours notice.',
  'The gift card never expires and can be used for any service or product.', 'This month we are offering a free scalp treatment with any haircut.',
];

export const EMAIL_SUBJECTS_IN = ['Booking request', 'Question about my appointment', 'Gift card', 'Refund request', 'Bridal party booking', 'Membership question', 'Invoice for corporate wellness day'];

export const EMAIL_BODY_IN = [
  'I would like to book a {service} for {day}, ideally at {time}.', 'Could you tell me if {staff} is available that week?',
  'We are a group of six for a bridal party and need hair and makeup.', 'I was charged twice for my last {service}, could you check?',
  'Can my membership be paused for two months while I travel?', 'Please send the invoice to our accounts team.',
  'I bought a gift card online but never received the email.', 'Do you offer a package for a {service} every month?',
];

export const VOICE_TRANSCRIPTS = [
  'Voicemail: hi, this is {first}, calling to reschedule my {service} on {day}, please call me back.',
  'Voicemail: hello, I wanted to ask about prices for a {service}.',
  'Voicemail: hi it is {first}, I am running late, be there by {time}.',
  'Voicemail: calling about the gift card I bought, it has not arrived.',
  'Voicemail: do you have availability {day} for two massages?',
];

export const VOICE_OUTBOUND = ['Call summary: confirmed the {service} {day} at {time}.', 'Call summary: left a message about the refund.', 'Call summary: booked a {service} with {staff}.'];
