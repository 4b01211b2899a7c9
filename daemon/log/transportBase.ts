import winston = require('winston');
import type WinstonTransport = require('winston-transport');

/**
 * winston's base class for transports. winston exports it at run time as `Transport`, while
 * its type declarations name it `transport`; this bridges the two so that superd depends on
 * winston only (the type import is erased).
 */
export const TransportStream = (winston as unknown as { Transport: typeof WinstonTransport }).Transport;
export type TransportStreamOptions = WinstonTransport.TransportStreamOptions;
