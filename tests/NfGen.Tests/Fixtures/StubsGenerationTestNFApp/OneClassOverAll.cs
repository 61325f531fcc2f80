using System;

namespace TestNFApp
{
    // The signatures of MetadataProcessor's TestNFApp.OneClassOverAll that its name tests use.
    public class OneClassOverAll
    {
        private string dummyField = "dummy";

        public void DummyMethod()
        {
            dummyField = "x";
        }

        public static void DummyStaticMethod()
        {
        }

        public void DummyMethodWithParams(int p1, string p2)
        {
            dummyField = p2;
        }

        public static void DummyStaticMethodWithParams(long p3, DateTime p4)
        {
        }

        public extern void DummyExternMethod();

        public void DummyMethodWithUglyParams(ref int p5, byte[] p6, OneClassOverAll p7, OneClassOverAll[] p8, DateTime p9, double p10, ref OneClassOverAll p11, out OneClassOverAll p12, out long p13)
        {
            p12 = null;
            p13 = 0;
        }

        public class SubClass
        {
            public extern int NestedExtern(int[][] jagged, ref byte[] bytes);
        }

        public enum Mode
        {
            Off = 0,
            On = 5,
            Negative = -3,
        }
    }

    internal delegate void Callback(int value);

    internal interface IExternal
    {
        void Method();
    }
}
