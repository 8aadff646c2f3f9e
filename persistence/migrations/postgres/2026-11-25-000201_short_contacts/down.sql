DROP TABLE short_contacts;
