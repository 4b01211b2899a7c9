/** superd's log file, relative to its folder (/Library/Management/superd). */
export const logFileName = 'logs/superd.log';
